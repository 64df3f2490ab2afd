package main // temporary: pins dependencies until the packages that use them land
import (
	_ "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	_ "github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
	_ "github.com/pressly/goose/v3"
	_ "golang.org/x/text/unicode/norm"
	_ "gopkg.in/yaml.v3"
	_ "modernc.org/sqlite"
)

func main() {}
