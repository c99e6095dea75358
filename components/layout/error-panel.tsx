"use client";
import { useErrorWords } from "./error-words";

/** What a user sees when a page fails: a short message and a reference id, nothing internal. Its words come from the root layout (./error-words.tsx). */
export function ErrorPanel({ reference, onRetry }: { reference?: string; onRetry: () => void }) {
  const words = useErrorWords();
  return (
    <div role="alert" className="mx-auto my-16 max-w-md rounded-xl border border-red-200 bg-white p-6 text-center shadow-sm">
      <h1 className="text-xl font-semibold text-slate-900">{words.title}</h1>
      <p className="mt-2 text-slate-600">{words.body}</p>
      {reference ? <p className="mt-2 font-mono text-xs text-slate-500">{words.reference.replace("{ref}", reference)}</p> : null}
      <button type="button" onClick={onRetry} className="mt-4 rounded-lg bg-teal-700 px-4 py-2 text-sm font-medium text-white">
        {words.tryAgain}
      </button>
    </div>
  );
}
