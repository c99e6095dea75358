import "server-only";
import { handlers } from "./next-auth.public";

export const { GET, POST } = handlers;
