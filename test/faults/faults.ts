// The faults of issue 4, each against a real server and a real engine, each reporting what
// the learner saw (control messages and close codes, timed from the fault), how long
// recovery took, and what was left behind. Problems are collected, not thrown, so a report
// always shows the whole story; callers fail on `problems.length > 0`. One module per kind
// of fault; this one is what callers import.
export { type DaemonProcess, findMainDockerd, startDaemonLike } from './dockerd.ts';
export { faultDockerdRestart } from './fault-dockerd.ts';
export { faultSilentDrop, faultWebSocketDrop } from './fault-drops.ts';
export { faultDockerKill, faultServerKill } from './fault-kills.ts';
export { type FaultReport, formatFaultReport } from './fault-report.ts';
