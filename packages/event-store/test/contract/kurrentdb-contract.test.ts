import { describeEventStoreContract, kurrentDbContractFactory } from '../../src/testing/index.ts';

// Runs against KURRENTDB_URL, or a testcontainers KurrentDB where a Docker engine answers; listed
// as skipped, with the reason in its title, where neither exists.
describeEventStoreContract(await kurrentDbContractFactory());
