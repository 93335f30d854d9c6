// `pnpm bench <api|settle|history|search>`: performance measured side by side with the database's own ceiling.
import { benchApi } from './api';
import { benchHistory } from './history';
import { benchSearch } from './search';
import { benchSettle } from './settle';

const BENCHES: Record<string, () => Promise<void>> = {
  api: benchApi,
  settle: benchSettle,
  history: benchHistory,
  search: benchSearch,
};

const name = process.argv[2] ?? 'api';
const bench = BENCHES[name];
if (!bench) {
  console.error(`unknown bench "${name}"; choose one of: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
await bench();
