package interop

// Peers outside Go: the Node.js ws package (client of `serve`, server for
// `dial --echo`) and headless Chromium (client of `serve`). They need
// node, the packages of node/package.json (run.sh installs them with npm
// ci) and, for the browser, a system Chromium. A test skips only when one
// of those is not installed.

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func nodeWith(t *testing.T, pkg string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	if _, err := os.Stat(filepath.Join("node", "node_modules", pkg, "package.json")); err != nil {
		t.Skipf("the npm package %s is not installed (cd interop/node && npm ci)", pkg)
	}
	return node
}

func runNode(t *testing.T, node string, timeout time.Duration, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = "node"
	out, err := cmd.CombinedOutput()
	t.Logf("%s", strings.TrimSpace(string(out)))
	if err != nil {
		t.Errorf("node %s: %v", args[0], err)
	}
}

func TestNodeWSClientOurServer(t *testing.T) {
	node := nodeWith(t, "ws")
	// ws offers permessage-deflate: serve accepts it by default, the
	// in-process server only with a compression policy.
	t.Run("serve", func(t *testing.T) {
		runNode(t, node, 90*time.Second, "ws_peer.js", "client", startServe(t).url("/node"), "permessage-deflate")
	})
	t.Run("inproc", func(t *testing.T) {
		runNode(t, node, 90*time.Second, "ws_peer.js", "client", inprocEcho(t, nil)+"/node", "")
	})
	t.Run("inproc-deflate", func(t *testing.T) {
		runNode(t, node, 90*time.Second, "ws_peer.js", "client", inprocEcho(t, deflateAccept(nil))+"/node", "permessage-deflate")
	})
}

func TestNodeWSServerOurClient(t *testing.T) {
	node := nodeWith(t, "ws")
	for _, tg := range append(clientTargets(), deflateClientTargets()...) {
		t.Run(tg.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			mode := ""
			if strings.HasSuffix(tg.name, "-deflate") {
				mode = "deflate" // the ws server accepts permessage-deflate
			}
			cmd := exec.CommandContext(ctx, node, "ws_peer.js", "server", mode)
			cmd.Dir = "node"
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stdout)
			var port string
			if sc.Scan() {
				port, _ = strings.CutPrefix(sc.Text(), "listening ")
			}
			if port == "" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("the ws server did not start")
			}
			res := tg.start(t, "ws://127.0.0.1:"+port+"/")
			var lines []string
			for sc.Scan() {
				lines = append(lines, sc.Text())
			}
			werr := cmd.Wait()
			t.Logf("%s", strings.Join(lines, "\n"))
			if werr != nil {
				t.Errorf("ws server: %v", werr)
			}
			select {
			case r := <-res:
				if !r.clean {
					t.Errorf("client did not end cleanly: %s", r.detail)
				}
			case <-time.After(30 * time.Second):
				t.Errorf("client did not finish")
			}
		})
	}
}

func TestBrowserOurServer(t *testing.T) {
	node := nodeWith(t, "playwright-core")
	// Chromium offers "permessage-deflate; client_max_window_bits", which
	// serve accepts by default.
	runNode(t, node, 120*time.Second, "browser.js", chromiumPath(t), startServe(t).url("/browser"), "permessage-deflate")
}

// chromiumPath is the system's Chromium; the test skips without one.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (apt-get install -y chromium)")
	return ""
}
