import pg from 'pg';

const INT8 = 20;
const XID8 = 5069;

function toBigInt(text: string): bigint {
  return BigInt(text);
}

/**
 * Type parsers for one pool: int8 and xid8 read as bigint. They are passed per pool rather than set
 * on `pg.types`, which would change every other pool in the process.
 */
export const bigintTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (oid === INT8 || oid === XID8) && format !== 'binary'
      ? toBigInt
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};
