package conformance

import (
	"net"
	"sync"
	"time"
)

// Exchange is what went over the wire in one case: the opening handshake
// and the bytes each way after it, in the order they were written or read,
// so that `check --show` can replay the case with the frame views.
type Exchange struct {
	Client  bool   // we were the client
	Request []byte // the handshake request head
	Reply   []byte // the handshake response head
	Chunks  []Chunk
	// Dropped counts the bytes not kept, sent and received: a case of
	// 16 MiB keeps only its first maxRecord bytes each way.
	DroppedSent, DroppedReceived int64
}

// Chunk is one write or read after the handshake.
type Chunk struct {
	Sent bool          // we sent it; otherwise the peer did
	At   time.Duration // since the connection opened
	Data []byte
}

// maxRecord bounds the bytes an exchange keeps each way.
const maxRecord = 256 << 10

// recorder builds an Exchange as a connection is used. Reads and writes
// may come from two goroutines (a case and the runner's watchdog), hence
// the lock.
type recorder struct {
	mu        sync.Mutex
	start     time.Time
	ex        Exchange
	handshake bool // still in the opening handshake
	hsOut     []byte
	hsIn      []byte
	kept      [2]int // kept after the handshake: received, sent
}

func newRecorder(client bool) *recorder {
	return &recorder{start: time.Now(), ex: Exchange{Client: client}, handshake: true}
}

func (r *recorder) add(sent bool, b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.handshake {
		// A head longer than maxRecord is cut; handshakeDone copes.
		if sent {
			r.hsOut = append(r.hsOut, b[:min(len(b), max(0, maxRecord-len(r.hsOut)))]...)
		} else {
			r.hsIn = append(r.hsIn, b[:min(len(b), max(0, maxRecord-len(r.hsIn)))]...)
		}
		return
	}
	r.addLocked(sent, b)
}

func (r *recorder) addLocked(sent bool, b []byte) {
	i := 0
	if sent {
		i = 1
	}
	keep := min(len(b), maxRecord-r.kept[i])
	if keep > 0 {
		r.ex.Chunks = append(r.ex.Chunks, Chunk{Sent: sent, At: time.Since(r.start), Data: append([]byte(nil), b[:keep]...)})
		r.kept[i] += keep
	}
	if sent {
		r.ex.DroppedSent += int64(len(b) - keep)
	} else {
		r.ex.DroppedReceived += int64(len(b) - keep)
	}
}

// handshakeDone ends the handshake: the last buffered bytes read belong to
// the frames that follow it.
func (r *recorder) handshakeDone(buffered int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handshake = false
	cut := max(0, len(r.hsIn)-buffered)
	head, rest := r.hsIn[:cut], r.hsIn[cut:]
	if r.ex.Client {
		r.ex.Request, r.ex.Reply = r.hsOut, head
	} else {
		r.ex.Request, r.ex.Reply = head, r.hsOut
	}
	if len(rest) > 0 {
		r.addLocked(false, rest)
	}
}

func (r *recorder) exchange() *Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	ex := r.ex
	if r.handshake {
		// The handshake never finished: show what there was.
		if ex.Client {
			ex.Request, ex.Reply = r.hsOut, r.hsIn
		} else {
			ex.Request, ex.Reply = r.hsIn, r.hsOut
		}
	}
	return &ex
}

// recConn records what passes through a connection.
type recConn struct {
	net.Conn
	rec *recorder
}

func (c *recConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.rec.add(false, b[:n])
	}
	return n, err
}

func (c *recConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if n > 0 {
		c.rec.add(true, b[:n])
	}
	return n, err
}
