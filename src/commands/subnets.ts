/** `--subnet name=cidr` (repeatable) of the importers (from-az, from-cluster): a subnet's name or id → its range. */
import { inputError } from '../errors.js';
import { parseCidr4 } from '../net/index.js';

export function subnetFlags(given: readonly string[] | string | undefined): Map<string, string> {
  const subnets = new Map<string, string>();
  const list = given === undefined ? [] : Array.isArray(given) ? given : [given as string];
  for (const s of list) {
    const eq = s.lastIndexOf('=');
    if (eq <= 0) throw inputError(`--subnet ${s}: expected <subnet name or resource id>=<cidr>, e.g. --subnet aks-nodes=10.240.0.0/16`);
    const cidr = s.slice(eq + 1);
    try {
      parseCidr4(cidr);
    } catch (err) {
      throw inputError(`--subnet ${s}: ${(err as Error).message}`, { cause: err });
    }
    subnets.set(s.slice(0, eq), cidr);
  }
  return subnets;
}
