package load

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"
)

// clockTick is USER_HZ, the unit of utime and stime in /proc/PID/stat.
// Linux fixes it at 100 for user space on every architecture Go supports
// (sysconf(_SC_CLK_TCK)); the kernel's own HZ may differ, but it converts.
const clockTick = 10 * time.Millisecond

// CPUTime returns the user plus system CPU time that process pid has used
// so far, all its threads together (utime and stime, fields 14 and 15 of
// /proc/PID/stat, proc(5)). The resolution is one clock tick, 10 ms; a
// measurement window of seconds keeps that under a percent.
func CPUTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStat(pid, b)
}

// parseStat reads utime+stime from the contents of /proc/PID/stat.
func parseStat(pid int, b []byte) (time.Duration, error) {
	// Field 2, the command name, is in parentheses and may hold spaces
	// or parentheses itself; the fields after the last ')' are plain.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no ')' after the command name", pid)
	}
	f := bytes.Fields(b[i+1:])
	// f[0] is field 3 (state), so utime (14) and stime (15) are f[11], f[12].
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields, want at least 15", pid, len(f)+2)
	}
	utime, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	stime, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: utime %q, stime %q are not numbers", pid, f[11], f[12])
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// RSS returns the resident set size of process pid in bytes (VmRSS in
// /proc/PID/status, proc(5)).
func RSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		rest, ok := bytes.CutPrefix(line, []byte("VmRSS:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, fmt.Errorf("/proc/%d/status: VmRSS line %q, want \"N kB\"", pid, line)
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/status: VmRSS %q is not a number", pid, f[0])
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmRSS line", pid)
}

// Syscalls returns how many read and write system calls process pid has
// made so far (syscr and syscw in /proc/PID/io, proc(5)): reads include
// recvfrom and the like, writes sendto and writev. On a loopback echo
// server these counts, more than the codec, decide the CPU per message.
func Syscalls(pid int) (reads, writes int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return 0, 0, err
	}
	return parseIO(pid, b)
}

func parseIO(pid int, b []byte) (reads, writes int64, err error) {
	found := 0
	for _, line := range bytes.Split(b, []byte("\n")) {
		name, val, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		var dst *int64
		switch string(name) {
		case "syscr":
			dst = &reads
		case "syscw":
			dst = &writes
		default:
			continue
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(val)), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/%d/io: %s %q is not a number", pid, name, val)
		}
		*dst = n
		found++
	}
	if found != 2 {
		return 0, 0, fmt.Errorf("/proc/%d/io: no syscr and syscw lines", pid)
	}
	return reads, writes, nil
}
