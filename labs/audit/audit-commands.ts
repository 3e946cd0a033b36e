// The commands an auditor types in the audit lab: the hints quote them and the reference
// solutions type them, so both always show the same thing.

export const FIND_UID_ZERO = `awk -F: '$3 == 0 && $1 != "root" {print $1}' /etc/passwd`;
export const VERIFY_PACKAGES = "dpkg --verify 2>/dev/null | grep -v '^missing'";
export const REMOVE_BACKDOOR = String.raw`sed -i '/^svc-[0-9a-f]\{6\}:/d' /etc/passwd /etc/shadow`;
/** PID 1's stdout is the pipe the engine's log driver reads: a write there leaves the container. */
export const RECORD_FINDING = `${FIND_UID_ZERO} > /proc/1/fd/1`;
