package server

import (
	"context"
	"net/http"
	"sync/atomic"
)

// parsePool bounds the parsing of files, the work that takes the most time
// and memory: uploads, and stored datasets read back into memory. A file
// of at most small bytes takes one of the small slots; a larger upload
// takes the large-upload slot and a larger stored dataset the large-load
// slot. So a slow upload never holds up a small one nor the reading of a
// dataset, and at most one large upload and one large load are parsed at
// once. A request waits for its slot as long as its client waits, behind
// at most maxQueue others of its lane; beyond that it is refused with 503.
type parsePool struct {
	smallMax int64
	lanes    [3]lane
	maxQueue int32
}

type lane struct {
	slots  chan struct{}
	queued atomic.Int32
}

// Lanes of a parsePool.
const (
	laneSmall = iota
	laneLargeUpload
	laneLargeLoad
)

func newParsePool(smallMax int64, small, largeUploads, largeLoads int) *parsePool {
	p := &parsePool{smallMax: smallMax, maxQueue: 64}
	for i, n := range []int{small, largeUploads, largeLoads} {
		p.lanes[i].slots = make(chan struct{}, max(n, 1))
	}
	return p
}

// acquire waits for a slot for a file of size bytes (an upload, or a
// stored dataset when load is true) and returns its release.
func (p *parsePool) acquire(ctx context.Context, size int64, load bool) (func(), error) {
	i := laneSmall
	switch {
	case size > p.smallMax && load:
		i = laneLargeLoad
	case size > p.smallMax:
		i = laneLargeUpload
	}
	l := &p.lanes[i]
	if l.queued.Add(1) > p.maxQueue+int32(cap(l.slots)) {
		l.queued.Add(-1)
		return nil, errf(http.StatusServiceUnavailable, codeBusy, "", "服务器正忙于处理其他文件，请稍后再试", "the server is busy with other files; try again later")
	}
	select {
	case l.slots <- struct{}{}:
		return func() {
			<-l.slots
			l.queued.Add(-1)
		}, nil
	case <-ctx.Done():
		l.queued.Add(-1)
		return nil, ctx.Err()
	}
}
