// From CSV records to numbers: which columns are the features and which the
// label (from the header), and each row's values written straight into typed
// arrays. Plain decimals are read from the bytes without making a string;
// anything else goes through Number() as before. Every bad value is a
// one-line error naming the file, line and column.
import { UserError } from '../../shared/errors';
import { fieldText, Quoting, type CsvRecord } from './csvRecords';

// A local copy: an imported binding can cost a getter call per use in the hot loop.
const ESCAPED: number = Quoting.Escaped;

export interface CsvLayout {
  header: string[];
  /** Column index of each feature, in the order the model sees them. */
  features: number[];
  labelIndex: number;
}

/** Class id of a label's text (throws when the label is not allowed). */
export type LabelOf = (text: string, record: CsvRecord) => number;

export function readHeader(record: CsvRecord): string[] {
  const header: string[] = [];
  for (let i = 0; i < record.count; i++) header.push(fieldText(record, i).trim());
  return header;
}

export function columnIndex(header: string[], name: string, file: string, field: string): number {
  const index = header.indexOf(name);
  if (index < 0) throw new UserError(`${file} has no column '${name}' (columns: ${header.join(', ')}); fix data.${field}`);
  return index;
}

/** Default features: every column but the label whose first value is a number. */
export function numericColumns(header: string[], firstRow: CsvRecord, labelIndex: number, file: string): number[] {
  const columns = header.map((_, c) => c).filter((c) => c !== labelIndex && c < firstRow.count && !Number.isNaN(parseNumber(fieldText(firstRow, c))));
  if (columns.length === 0) throw new UserError(`${file} has no numeric feature columns; list them in data.featureColumns`);
  return columns;
}

export class RowReader {
  /** Features per row. */
  readonly width: number;

  constructor(
    private readonly layout: CsvLayout,
    private readonly file: string,
    private readonly task: 'class' | 'regression',
    private readonly labelOf: LabelOf,
  ) {
    this.width = layout.features.length;
  }

  /** Writes the record's features to x[xAt..] and its label (class id or value) to y[yAt]. */
  read(record: CsvRecord, x: Float32Array, xAt: number, y: Float32Array | Int32Array, yAt: number): void {
    const { header, features, labelIndex } = this.layout;
    if (record.count !== header.length) throw this.raggedRow(record);
    for (let f = 0; f < features.length; f++) {
      const c = features[f];
      let v = record.quoting[c] === ESCAPED ? NaN : parseDecimal(record.bytes, record.starts[c], record.ends[c]);
      if (v !== v) {
        const text = fieldText(record, c);
        v = parseNumber(text);
        if (Number.isNaN(v)) {
          throw new UserError(
            `${this.where(record)}: column '${header[c]}' is '${clip(text)}', not a number; fix the value or leave the column out with data.featureColumns`,
          );
        }
      }
      x[xAt + f] = v;
    }
    const label = fieldText(record, labelIndex).trim();
    if (this.task === 'regression') {
      const v = parseNumber(label);
      if (Number.isNaN(v)) throw new UserError(`${this.where(record)}: label column '${header[labelIndex]}' is '${clip(label)}', not a number (task is 'regression')`);
      y[yAt] = v;
    } else {
      if (label === '') throw new UserError(`${this.where(record)}: label column '${header[labelIndex]}' is empty; every row needs a label`);
      y[yAt] = this.labelOf(label, record);
    }
  }

  where(record: CsvRecord): string {
    return `${this.file} line ${record.line}`;
  }

  private raggedRow(record: CsvRecord): UserError {
    const { header } = this.layout;
    const which =
      record.count < header.length
        ? `column ${record.count + 1} ('${header[record.count]}') has no value`
        : `column ${header.length + 1} is past the last column ('${header[header.length - 1]}')`;
    return new UserError(`${this.where(record)}: ${record.count} fields but the header has ${header.length}; ${which}; check the delimiter and quoting`);
  }
}

/**
 * Integer labels (0, 1, 2 ...) are class indices as they are; any other text
 * labels become sorted class names.
 */
export function classMapping(labelIds: Map<string, number>): { indexOfId: Int32Array; numClasses: number; names?: string[] } {
  const indexOfId = new Int32Array(labelIds.size);
  const keys = [...labelIds.keys()];
  const ints = keys.map((k) => Number(k));
  if (ints.every((v) => Number.isInteger(v) && v >= 0 && v < 65536)) {
    let max = -1;
    keys.forEach((k, i) => {
      indexOfId[labelIds.get(k) as number] = ints[i];
      max = Math.max(max, ints[i]);
    });
    return { indexOfId, numClasses: max + 1 };
  }
  const names = keys.sort();
  names.forEach((name, index) => (indexOfId[labelIds.get(name) as number] = index));
  return { indexOfId, numClasses: names.length, names };
}

/** Label text -> id in order of first appearance, growing `labelIds`. */
export function collectLabels(labelIds: Map<string, number>): (text: string) => number {
  return (text) => {
    let id = labelIds.get(text);
    if (id === undefined) labelIds.set(text, (id = labelIds.size));
    return id;
  };
}

export function parseNumber(text: string): number {
  const t = text.trim();
  return t === '' ? NaN : Number(t);
}

const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * The number in bytes[start, end) when it is a plain decimal (spaces, sign,
 * at most 15 digits, a point, an exponent); NaN for anything else, which the
 * caller then gives to Number(). With that many digits and a power of ten
 * below 1e23, one multiplication or division is exact before its rounding,
 * so the result is the double Number() gives.
 */
export function parseDecimal(b: Buffer, start: number, end: number): number {
  while (start < end && (b[start] === 0x20 || b[start] === 0x09)) start++;
  while (end > start && (b[end - 1] === 0x20 || b[end - 1] === 0x09)) end--;
  let i = start;
  let negative = false;
  if (b[i] === 0x2d) {
    negative = true;
    i++;
  } else if (b[i] === 0x2b) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  for (; i < end; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
    digits++;
  }
  if (i < end && b[i] === 0x2e) {
    for (i++; i < end; i++) {
      const d = b[i] - 0x30;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      digits++;
      scale--;
    }
  }
  if (digits === 0 || digits > 15) return NaN;
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    let expNegative = false;
    if (b[i] === 0x2d) {
      expNegative = true;
      i++;
    } else if (b[i] === 0x2b) i++;
    let exp = 0;
    let expDigits = 0;
    for (; i < end && expDigits < 5; i++) {
      const d = b[i] - 0x30;
      if (d < 0 || d > 9) break;
      exp = exp * 10 + d;
      expDigits++;
    }
    if (expDigits === 0) return NaN;
    scale += expNegative ? -exp : exp;
  }
  if (i !== end) return NaN;
  let value: number;
  if (scale === 0) value = mantissa;
  else if (scale > 0 && scale <= 22) value = mantissa * POW10[scale];
  else if (scale < 0 && scale >= -22) value = mantissa / POW10[-scale];
  else return NaN;
  return negative ? -value : value;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
