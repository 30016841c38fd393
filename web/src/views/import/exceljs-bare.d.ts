// The browser build of ExcelJS (a UMD bundle) has the package's own types.
declare module 'exceljs/dist/exceljs.bare.min.js' {
  export * from 'exceljs'
}
