package dataset

import "sync"

// Embedded hands out the embedded region registry, indicator catalogue
// and built-in data sets (Builtin), each parsed once, on first use, and
// kept. A process holds one value (the command line in its globals, a
// server in its state) instead of parsing them for every file, and a
// command that needs none of them (a COINr index) never parses them. The zero value is ready for use and
// safe for concurrent use. The results are read-only: readers clone the
// catalogue before adding to it.
type Embedded struct {
	regOnce, catOnce sync.Once
	reg              *Registry
	regErr           error
	cat              *Catalogue
	catErr           error
	builtin          builtinSet
}

// Registry returns the embedded registry (LoadRegistry, once).
func (e *Embedded) Registry() (*Registry, error) {
	e.regOnce.Do(func() { e.reg, e.regErr = LoadRegistry() })
	return e.reg, e.regErr
}

// Catalogue returns the embedded catalogue (LoadCatalogue, once).
func (e *Embedded) Catalogue() (*Catalogue, error) {
	e.catOnce.Do(func() { e.cat, e.catErr = LoadCatalogue() })
	return e.cat, e.catErr
}

// Fill sets the registry and catalogue of opts that are nil.
func (e *Embedded) Fill(opts ReadOptions) (ReadOptions, error) {
	var err error
	if opts.Registry == nil {
		if opts.Registry, err = e.Registry(); err != nil {
			return opts, err
		}
	}
	if opts.Catalogue == nil {
		if opts.Catalogue, err = e.Catalogue(); err != nil {
			return opts, err
		}
	}
	return opts, nil
}
