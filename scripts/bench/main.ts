// `pnpm bench <api|settle|history|search|events|webhooks>`: performance measured side by side with the database's own ceiling.
import { benchApi } from './api';
import { benchEvents } from './events';
import { benchHistory } from './history';
import { benchSearch } from './search';
import { benchSettle } from './settle';
import { benchWebhooks } from './webhooks';

const BENCHES: Record<string, () => Promise<void>> = {
  api: benchApi,
  settle: benchSettle,
  history: benchHistory,
  search: benchSearch,
  events: benchEvents,
  webhooks: benchWebhooks,
};

const name = process.argv[2] ?? 'api';
const bench = BENCHES[name];
if (!bench) {
  console.error(`unknown bench "${name}"; choose one of: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
await bench();
