// One file of the user's model module to CommonJS, with TypeScript's own
// transpiler: pure JavaScript, so it runs from the packaged extension on every
// platform (a native bundler would need a binary per platform). The build
// ships TypeScript as dist/typescript.js beside the bundles and loads it only
// when a spec names a module.
import type * as TypeScript from 'typescript';

/** A compile error at a place in the file. */
export interface TranspileProblem {
  /** 0-based offset into the source. */
  offset: number;
  message: string;
}

export interface Transpiled {
  /** CommonJS code, line for line close to the source. */
  code: string;
  /** The first syntax error, if any: the code is not run then. */
  problem?: TranspileProblem;
  /** Specifiers of the modules the code requires at run time, in order (imports used only as types are gone). */
  requires: string[];
  /** Where each specifier first appears in the source, for errors. */
  positions: Map<string, number>;
}

let loading: Promise<typeof TypeScript> | undefined;

function typescript(): Promise<typeof TypeScript> {
  // Node sees dist/typescript.js as CommonJS whose names it cannot list: the API is then its default export.
  loading ??= import('typescript').then((mod) => ('transpileModule' in mod ? mod : (mod as { default: typeof TypeScript }).default));
  return loading;
}

/** .mts/.mjs keep their ES module syntax whatever the options say: the transpiler sees .ts/.js. */
function asCommonJsName(fileName: string): string {
  return fileName.replace(/\.[mc]([jt]s)$/, '.$1');
}

export async function transpile(source: string, fileName: string): Promise<Transpiled> {
  const ts = await typescript();
  const output = ts.transpileModule(source, {
    fileName: asCommonJsName(fileName),
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const first = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  const problem = first && { offset: first.start ?? 0, message: ts.flattenDiagnosticMessageText(first.messageText, ' ') };
  const positions = new Map<string, number>();
  for (const found of ts.preProcessFile(source, true, true).importedFiles) {
    if (!positions.has(found.fileName)) positions.set(found.fileName, found.pos);
  }
  const requires = [...new Set(ts.preProcessFile(output.outputText, true, true).importedFiles.map((found) => found.fileName))];
  return { code: output.outputText, ...(problem && { problem }), requires, positions };
}
