import type { ApiConfig } from '../config';
import { loadConfig } from '../config';

/** The CLI reads the same variables as the API, through the same validated config. */
export function cliConfig(): ApiConfig {
  return loadConfig();
}
