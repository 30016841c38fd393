// A libpq result as the store's ResultSet: integer, real and boolean columns by their
// type, everything else as text; `affected` from the command tag.
#pragma once

#include <libpq-fe.h>

#include "db/database.hpp"

namespace nemis::db::postgres {

ResultSet CollectResult(PGresult* result);

}  // namespace nemis::db::postgres
