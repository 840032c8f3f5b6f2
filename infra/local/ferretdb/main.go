// Command ferretdb runs FerretDB 1.24 with the SQLite backend for local development and tests, or
// with the PostgreSQL backend when -postgresql-url is given (measured in docs/adr/0018).
//
// It embeds the github.com/FerretDB/FerretDB/ferretdb package instead of installing
// cmd/ferretdb, whose binary panics on a missing generated version file when built
// with plain `go install` (FerretDB issue 2982).
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to serve the MongoDB wire protocol on")
	dataDir := flag.String("data-dir", "./data", "directory for the SQLite databases")
	postgresURL := flag.String("postgresql-url", "", "use the PostgreSQL backend at this URL instead of SQLite")
	flag.Parse()

	if err := os.MkdirAll(*dataDir, 0o755); err != nil {
		log.Fatalf("create data dir: %v", err)
	}

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  "sqlite",
		// WAL with synchronous=NORMAL: a commit survives the process being killed (the drills kill it)
		// but not the machine losing power; each commit no longer waits for an fsync (ADR 0003).
		SQLiteURL: "file:" + *dataDir + "/?_pragma=synchronous(NORMAL)",
	}
	if *postgresURL != "" {
		config.Handler = "postgresql"
		config.PostgreSQLURL = *postgresURL
		config.SQLiteURL = ""
	}
	f, err := ferretdb.New(config)
	if err != nil {
		log.Fatalf("configure ferretdb: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log.Printf("ferretdb (%s) listening on %s", config.Handler, *listen)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatalf("ferretdb: %v", err)
	}
}
