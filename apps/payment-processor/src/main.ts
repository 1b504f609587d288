// Lambda entry point `index.handler`: one execution environment per container, created at module
// scope (no I/O until the first invocation).
import { createPaymentHandler } from './handler';

export const environment = createPaymentHandler();
export const handler = environment.handler;
