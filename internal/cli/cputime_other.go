//go:build !unix

package cli

// cpuSeconds returns 0 where the process's CPU time is not read (the
// benchmark commands then report wall time only).
func cpuSeconds() float64 { return 0 }
