package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// buildService compiles the real binary into dir, as an operator would run
// it, so the figures include nothing of the load generator's process.
func buildService(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "langnghe")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "langnghe/cmd/langnghe")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build langnghe: %w\n%s", err, out)
	}
	return bin, nil
}

// service is the running langnghe process.
type service struct {
	cmd     *exec.Cmd
	addr    string // HTTP: health, metrics, webhook
	logPath string
	done    chan error // the process's exit
}

// startService runs `bin serve` with env (LANGNGHE_* settings; the parent's
// own LANGNGHE_* variables are not passed on) and its output in logPath.
func startService(bin, addr, logPath string, env map[string]string) (*service, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("service log: %w", err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LANGNGHE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &service{cmd: cmd, addr: addr, logPath: logPath, done: make(chan error, 1)}
	go func() {
		s.done <- cmd.Wait()
		logFile.Close()
	}()
	return s, nil
}

// waitReady waits until /readyz answers 200, or the process exits.
func (s *service) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.addr+"/readyz", nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("the service exited before it was ready (%v); its log:\n%s", err, s.logTail())
		case <-ctx.Done():
			return fmt.Errorf("the service was not ready in time: %w; its log:\n%s", ctx.Err(), s.logTail())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop ends the service with SIGTERM (a clean shutdown), then SIGKILL.
func (s *service) stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop the service: %w", err)
	}
	select {
	case err := <-s.done:
		s.done <- err
		if err != nil {
			return fmt.Errorf("the service stopped with %v; its log:\n%s", err, s.logTail())
		}
		return nil
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		return errors.New("the service did not stop within 30s after SIGTERM; killed")
	}
}

// memory reads the process's peak (VmHWM) and current (VmRSS) resident
// set size in bytes from /proc.
func (s *service) memory() (peak, current int64, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0, fmt.Errorf("read the service's memory: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmHWM" && name != "VmRSS") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("read the service's memory: %s: %w", name, err)
		}
		if name == "VmHWM" {
			peak = kb << 10
		} else {
			current = kb << 10
		}
	}
	return peak, current, nil
}

// clockTicks is the unit of /proc/<pid>/stat's CPU times (USER_HZ, 100 on
// every Linux the service runs on).
const clockTicks = 100

// cpu reads the CPU time (user and system) the process used so far.
func (s *service) cpu() (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, fmt.Errorf("read the service's CPU time: %w", err)
	}
	// The command name, in parentheses, may hold spaces; fields follow it.
	stat := string(data)
	fields := strings.Fields(stat[strings.LastIndexByte(stat, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("read the service's CPU time: short /proc stat %q", stat)
	}
	var ticks int64
	for _, f := range fields[11:13] { // utime, stime
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("read the service's CPU time: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// ownCPU is the CPU time this process (the residents and the fake Bot
// API) used so far.
func ownCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// metrics scrapes /metrics into a map from "name{labels}" to value.
func (s *service) metrics(ctx context.Context) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.addr+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape metrics: %s", resp.Status)
	}
	return parseMetrics(resp.Body)
}

// parseMetrics reads Prometheus text format: comments are skipped, each
// sample line is "name{labels} value".
func parseMetrics(r io.Reader) (map[string]float64, error) {
	out := map[string]float64{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return nil, fmt.Errorf("metrics line %q: %w", line, err)
		}
		out[line[:i]] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read metrics: %w", err)
	}
	return out, nil
}

// logTail is the end of the service's log, for error messages.
func (s *service) logTail() string {
	data, err := os.ReadFile(s.logPath)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	const keep = 4 << 10
	if len(data) > keep {
		data = data[len(data)-keep:]
	}
	return string(data)
}

// freeAddr finds a free port on the loopback interface.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
