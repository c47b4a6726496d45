// Export: this boot as a file the user keeps. A trace (JSON Lines,
// record/trace.ts) that the page opens again and `zos verify` checks, the
// same run in the Chrome Trace Event format for Perfetto, or a receipt signed
// with this browser's key (receipt-key.ts). Loaded on first use.

import { chromeTrace } from '../record/chrome-trace.ts';
import { makeReceipt } from '../record/receipt.ts';
import type { RunRecord } from '../record/run-record.ts';
import { traceText } from '../record/trace.ts';
import type { ExportKind } from './log-viewer.ts';
import { receiptKey } from './receipt-key.ts';

export interface ExportFile {
  name: string;
  type: string;
  text: string;
}

/** The file for `kind`, named after the boot and the time it was made. */
export async function exportFile(kind: ExportKind, run: RunRecord, boot: number | null): Promise<ExportFile> {
  const stem = `zos-${boot === null ? 'boot' : `boot-${boot}`}-${new Date(run.endedAt).toISOString().replace(/[:.]/g, '-')}`;
  switch (kind) {
    case 'trace': return { name: `${stem}.jsonl`, type: 'application/jsonl', text: traceText(run) };
    case 'chrome': return { name: `${stem}.chrome-trace.json`, type: 'application/json', text: JSON.stringify(chromeTrace(run)) };
    case 'receipt': return { name: `${stem}.receipt.json`, type: 'application/json', text: `${JSON.stringify(makeReceipt(run, await receiptKey()), null, 2)}\n` };
  }
}

/** Hands the file to the browser's downloads. */
export function download(file: ExportFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // after the download has taken it
}
