// Splits one CSV line into fields: a delimiter, double-quoted fields with ""
// for a quote. Returns undefined when a quote is left open (a field that
// spans lines, which this streaming reader does not support).

export function splitCsvLine(line: string, delimiter: string): string[] | undefined {
  if (!line.includes('"')) return line.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
    } else if (c === '"') {
      quoted = true;
      i++;
    } else if (line.startsWith(delimiter, i)) {
      fields.push(field);
      field = '';
      i += delimiter.length;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}
