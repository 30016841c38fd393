// CSV in the browser: decoding a file (UTF-8 or GB18030, as the server accepts), parsing
// RFC 4180 records, and writing the import CSV the server reads (UTF-8, CRLF, quoted
// where needed).

export type Table = string[][]

export interface Decoded {
  text: string
  encoding: 'utf-8' | 'gb18030'
}

/**
 * UTF-8 (with or without a BOM) when the bytes are valid UTF-8, otherwise GB18030 (a
 * superset of GBK and GB2312, what Excel saves as "CSV" on a Chinese Windows).
 */
export function decodeCsv(bytes: Uint8Array): Decoded {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
    return { text, encoding: 'utf-8' }
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' }
  }
}

/**
 * Records of `text`. Quoted fields may hold separators, quotes ("") and line breaks.
 * Every line of the file stays a record (blank lines become []), so record i is the
 * file's line i + 1 as long as no quoted field spans lines.
 */
export function parseCsv(text: string): Table {
  const rows: Table = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const n = text.length
  let fieldStarted = false
  const endField = () => {
    row.push(field)
    field = ''
    fieldStarted = false
  }
  const endRow = () => {
    if (fieldStarted || row.length > 0) endField()
    rows.push(row)
    row = []
  }
  while (i < n) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        ++i
        continue
      }
      field += c
      ++i
      continue
    }
    if (c === '"' && field === '') {
      quoted = true
      fieldStarted = true
      ++i
    } else if (c === ',') {
      fieldStarted = true
      endField()
      fieldStarted = true
      ++i
    } else if (c === '\r' || c === '\n') {
      endRow()
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1
    } else {
      field += c
      fieldStarted = true
      ++i
    }
  }
  if (fieldStarted || row.length > 0) endRow()
  return rows
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? '"' + value.replaceAll('"', '""') + '"' : value
}

/** The import CSV: one line per record, CRLF, no BOM. Line breaks inside a value become spaces
 * so that the server's line numbers stay the spreadsheet's row numbers. */
export function writeCsv(rows: Table): string {
  const out: string[] = []
  for (const r of rows) out.push(r.map((v) => quote(v.replace(/\r\n|\r|\n/g, ' '))).join(','))
  return out.join('\r\n') + '\r\n'
}
