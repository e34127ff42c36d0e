// The members of a zip (.npz) file, read with fflate: stored or deflated
// members, ZIP64 sizes and offsets as numpy writes them. Only the members
// asked for are unpacked.
import { unzipSync } from 'fflate';
import { UserError } from '../../shared/errors';

export interface ZipArchive {
  /** Member names, in the order of the central directory. */
  names: string[];
  /** Unpacks one member. */
  read(name: string): Uint8Array;
}

export function openZip(bytes: Uint8Array, path: string): ZipArchive {
  const bad = (why: string): UserError => new UserError(`${path} is not a readable zip/.npz file (${why}); save it with numpy.savez`);
  const unzip = (wanted: (name: string, originalSize: number) => boolean): Record<string, Uint8Array> => {
    try {
      return unzipSync(bytes, { filter: (file) => wanted(file.name, file.originalSize) });
    } catch (error) {
      throw bad(error instanceof Error ? error.message : String(error));
    }
  };
  const sizes = new Map<string, number>();
  unzip((name, originalSize) => (sizes.set(name, originalSize), false));
  return {
    names: [...sizes.keys()],
    read(name: string): Uint8Array {
      const size = sizes.get(name);
      if (size === undefined) throw new UserError(`${path} has no member ${name}`);
      const data = unzip((member) => member === name)[name];
      if (data?.length !== size) throw bad(`${name} unpacks to ${data?.length ?? 0} bytes, expected ${size}`);
      return data;
    },
  };
}
