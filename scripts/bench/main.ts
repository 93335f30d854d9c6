// `pnpm bench <api|settle>`: performance measured side by side with the database's own ceiling.
import { benchApi } from './api';
import { benchSettle } from './settle';

const BENCHES: Record<string, () => Promise<void>> = { api: benchApi, settle: benchSettle };

const name = process.argv[2] ?? 'api';
const bench = BENCHES[name];
if (!bench) {
  console.error(`unknown bench "${name}"; choose one of: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
await bench();
