import { describeEventStoreContract, testDatabases } from '../../src/testing/index.ts';

for (const factory of await testDatabases()) describeEventStoreContract(factory);
