export { PASSWORD_RULE as PASSWORD_RULE_HINT } from "@stratum/api/auth/password-rule";
