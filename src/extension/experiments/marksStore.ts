// Stars and the pinned baseline of the experiments view, kept in the
// workspace's state (they belong to this workspace's runs, not to the user).
import { isMarks, MAX_STARRED, type Marks } from '../../shared/protocol/experiments';

/** The part of vscode.Memento this needs (the extension's workspaceState). */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const KEY = 'modelStudio.experiments.marks';

export class MarksStore {
  constructor(private readonly state: StateStore) {}

  get(): Marks {
    const saved = this.state.get<unknown>(KEY);
    return isMarks(saved) ? saved : { starred: [] };
  }

  async setStar(runId: string, starred: boolean): Promise<void> {
    const marks = this.get();
    const others = marks.starred.filter((id) => id !== runId);
    // The newest stars are kept when there are too many.
    const next = starred ? [...others, runId].slice(-MAX_STARRED) : others;
    await this.save({ ...marks, starred: next });
  }

  async setBaseline(runId: string | undefined): Promise<void> {
    const { starred } = this.get();
    await this.save(runId ? { starred, baseline: runId } : { starred });
  }

  private async save(marks: Marks): Promise<void> {
    await this.state.update(KEY, marks);
  }
}
