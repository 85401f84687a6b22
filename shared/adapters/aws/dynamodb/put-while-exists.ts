import type { ItemKind, Key } from "./item-kind.ts";
import type { TableClient } from "./table-client.ts";
import { mustExist } from "./writes.ts";

/**
 * Puts a setting item only while what it belongs to (a group, a series) exists, in one
 * transaction; false when that is gone, so a deleted group gains no orphaned settings.
 */
export const putWhileExists = async <T>(
  table: TableClient,
  owner: Key,
  kind: ItemKind<T>,
  key: Key,
  value: T,
): Promise<boolean> =>
  (await table.write([mustExist(owner, "gone"), { put: kind.item(key, value) }])).length === 0;
