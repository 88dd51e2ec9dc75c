import { stratumVitest } from "../../vitest.shared.ts";

export default stratumVitest();
