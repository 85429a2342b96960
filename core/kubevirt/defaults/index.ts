export * from "./topology";
export * from "./guestMemory";
export * from "./maxSockets";
export * from "./maxGuest";
export * from "./bootVmi";
