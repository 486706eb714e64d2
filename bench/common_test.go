package bench

import (
	"fmt"
	"io"
)

// Library names, used as the lib= key of every sub-benchmark so that
// benchstat can put them side by side (benchstat -col /lib).
const (
	libOurs    = "wsanatomy"
	libGorilla = "gorilla"
	libCoder   = "coder"
	libGobwas  = "gobwas"
)

// Message sizes of the echo and masking benchmarks.
var sizes = []int{16, 1 << 10, 64 << 10, 1 << 20}

func sizeName(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}

// readAll reads r to io.EOF into buf, which the caller reuses, and returns
// the number of bytes read. A message longer than buf is an error: the
// benchmarks size buf for the largest message they send.
func readAll(r io.Reader, buf []byte) (int, error) {
	n := 0
	for {
		if n == len(buf) {
			// Expect EOF now; anything else means the message is too long.
			var one [1]byte
			m, err := r.Read(one[:])
			if err == io.EOF && m == 0 {
				return n, nil
			}
			if err != nil && err != io.EOF {
				return n, err
			}
			return n, io.ErrShortBuffer
		}
		m, err := r.Read(buf[n:])
		n += m
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
