"use client";

import type { AppRouter } from "@stratum/api";
import type { inferRouterOutputs } from "@trpc/server";
import { createContext, useContext } from "react";

export type TSignedInUser = NonNullable<inferRouterOutputs<AppRouter>["auth"]["me"]>;

export const SessionContext = createContext<TSignedInUser | null>(null);

/** The signed-in user; only usable inside the console, which renders nothing until one exists. */
export function useSignedInUser(): TSignedInUser {
  const user = useContext(SessionContext);
  if (!user) throw new Error("useSignedInUser is only available inside the console layout.");
  return user;
}
