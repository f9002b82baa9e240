// Ids are plaintext columns: holding them to this pattern keeps typed text out of them.
export const ENTITY_ID = /^[A-Za-z0-9_-]{1,64}$/;
