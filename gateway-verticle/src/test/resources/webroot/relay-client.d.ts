// test fixture standing in for clients/js/relay-client.d.ts
export declare class RelayClient {}
