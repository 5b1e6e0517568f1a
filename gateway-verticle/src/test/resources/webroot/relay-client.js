// test fixture standing in for clients/js/relay-client.js
export class RelayClient {}
