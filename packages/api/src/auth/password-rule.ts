// Shared with the browser: no server-only imports here.
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_RULE = `Passwords need at least ${PASSWORD_MIN_LENGTH} characters and must not contain your email address.`;
