import { DuckDBInstance } from '@duckdb/node-api';

/**
 * The rows of a DuckDB query as JSON-friendly objects (big integers, decimals and timestamps as
 * DuckDB renders them): an independent reader of the files sluice wrote. Each call runs in a
 * fresh in-memory database.
 */
export async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create();
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
