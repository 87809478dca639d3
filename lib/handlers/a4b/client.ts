// One A4B client per container. Endpoint from AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS (the SDK reads it itself).
import { HandlerEnv } from '../../contract';
import { a4bClient, DEFAULT_MAX_ATTEMPTS } from '../../runtime/a4b/client';
import { currentRequest } from '../cfn';
import { pace } from '../../runtime/a4b/pacing';
import { A4bRetryStrategy } from '../../runtime/a4b/retry';

export { A4bRetryStrategy };

export const maxAttempts = Number(process.env[HandlerEnv.A4B_MAX_ATTEMPTS] ?? DEFAULT_MAX_ATTEMPTS);

export const a4b = a4bClient({ maxAttempts });

// Every call of a request carries its abort signal (so the deadline ends it, retries included) and is tracked by
// operation name (so a request stopped at its deadline can say which call had not answered).
const send = a4b.send.bind(a4b);
a4b.send = ((command: never, options?: Record<string, unknown>) => {
  const signal = currentRequest()?.signal;
  return send(command, signal ? { abortSignal: signal, ...options } : options);
}) as typeof a4b.send;
a4b.middlewareStack.add((next, context) => (args) => {
  const scope = currentRequest();
  return scope ? scope.track(String(context.commandName ?? 'A4B call').replace(/Command$/, ''), () => next(args)) : next(args);
}, { step: 'initialize', name: 'a4bRequestScope' });

// Every attempt (inside the SDK's retries) waits for its slot in the container's send rate, which A4B's throttling
// lowers and its successes raise (../../runtime/a4b/pacing.ts).
export const sendRate = pace(a4b);
