// Integration and end-to-end tests talk to real brokers and processes: give them room.
jest.setTimeout(60_000);
