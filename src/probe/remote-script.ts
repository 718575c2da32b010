import { randomBytes } from 'node:crypto';

/**
 * The collection script a remote host runs (`ssh TARGET sh -s`, script on stdin). POSIX sh only: it
 * must run under dash and busybox ash, with busybox's awk, ls and cat (no `find -lname`/`-printf`, no
 * readlink per fd: one `ls -l` over every fd directory is about a hundred times faster).
 *
 * Output is a series of sections, each opened by a line `\n<NONCE> <name> [arg]\n`. The nonce is fresh
 * for every run and never leaves this machine before the script does, so nothing a remote process
 * controls (its name, its command line) can forge a section boundary. Section bodies are the exact
 * bytes of the /proc files, so the local parsers read them as they read this machine's /proc.
 *
 * Sections: `hostname`, `uid` (effective uid of the script), `mounts` (the proc mount line, for
 * hidepid), `net FILE` (tcp, tcp6, udp, udp6; TCP rows in LISTEN only unless every socket is asked
 * for), `links` (`PID socket:[INODE]` for each fd holding a socket of those tables, then `denied N`),
 * `stat PID`, `status PID` (its Uid: line), `cmdline PID` for every owner, `passwd`, `end`.
 */
const SCRIPT = String.raw`LC_ALL=C; export LC_ALL
N=@NONCE@; A=@ALL@
m() { printf '\n%s %s\n' "$N" "$*"; }
m hostname; cat /proc/sys/kernel/hostname 2>/dev/null || hostname 2>/dev/null
m uid; id -u 2>/dev/null
m mounts; awk '$2 == "/proc" && $3 == "proc"' /proc/mounts 2>/dev/null
F=
for t in tcp tcp6 udp udp6; do
  [ -r /proc/net/$t ] || continue
  F="$F /proc/net/$t"
  m net $t
  case $t$A in
    tcp0|tcp60) awk 'NR == 1 || $4 == "0A"' /proc/net/$t ;;
    *) cat /proc/net/$t ;;
  esac
done
m links
L=$(ls -l /proc/[0-9]*/fd 2>&1 | awk -v all=$A '
  phase != 2 { if (FNR > 1 && (all || $4 == "0A" || FILENAME ~ /udp/)) want["socket:[" $10 "]"] = 1; next }
  /^\/proc\/[0-9]+\/fd:$/ { split($0, p, "/"); pid = p[3]; next }
  /Permission denied/ { if (match($0, /\/proc\/[0-9]+\//)) d[substr($0, RSTART + 6, RLENGTH - 7)] = 1; next }
  ($NF in want) && pid != "" { print pid, $NF }
  END { n = 0; for (k in d) n++; print "denied", n }' $F phase=2 -)
printf '%s\n' "$L"
for p in $(printf '%s\n' "$L" | awk '$1 ~ /^[0-9]+$/ && !seen[$1]++ { print $1 }'); do
  m stat $p; cat /proc/$p/stat 2>/dev/null
  m status $p; grep '^Uid:' /proc/$p/status 2>/dev/null
  m cmdline $p; cat /proc/$p/cmdline 2>/dev/null
done
m passwd; cat /etc/passwd 2>/dev/null
m end
`;

/** A fresh section marker: 24 hex digits nobody on the remote side can know in advance. */
export function newNonce(): string {
  return `vhtop${randomBytes(12).toString('hex')}`;
}

/** The script for one collection: `all` sends every TCP row, not only listeners. */
export function collectionScript(nonce: string, all: boolean): string {
  if (!/^vhtop[0-9a-f]{24}$/.test(nonce)) throw new Error('collectionScript: bad nonce');
  return SCRIPT.replace('@NONCE@', nonce).replace('@ALL@', all ? '1' : '0');
}
