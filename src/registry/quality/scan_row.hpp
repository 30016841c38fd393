// What the duplicate finder keeps of each student in memory: clear columns and the first
// 64 bits of the blind indexes (keyed hashes, already uniform), never sealed data. About
// 100 bytes a student, so a 10-million-student node fits in a gigabyte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nemis::registry::quality {

struct ScanRow {
  int64_t id = 0, school_id = 0;
  std::string name;
  int32_t birth = 0;  // YYYYMMDD
  int16_t grade = 0;
  uint8_t gender = 0;
  uint8_t ethnicity = 0;              // the GB/T 3304 code as a number; 0 unknown
  bool has_id = false;                // the student has an identity document
  uint64_t id_key = 0;                // blind index of the document number; 0: none
  uint64_t g1_key = 0, g2_key = 0;    // blind indexes of the guardians' ID numbers
  uint64_t g1_name = 0, g2_name = 0;  // hashes of the guardians' names
};

/// The key of a blind index column (32 hex characters): its first 64 bits; 0 for none.
uint64_t BlindKey(std::string_view hex);
/// A 64-bit hash of a text; 0 for an empty one.
uint64_t TextKey(std::string_view text);

/// Whether the two students share a guardian, by ID number or by name.
bool ShareGuardian(const ScanRow& a, const ScanRow& b);

}  // namespace nemis::registry::quality
