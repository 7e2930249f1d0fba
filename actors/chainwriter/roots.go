package chainwriter

import (
	"errors"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/persistence"
)

// maxChainName is the longest board or period the leaderboard contract
// takes: a Cairo short string holds 31 bytes.
const maxChainName = 31

// errRootName settles a root whose on-chain board or period cannot be a
// short string (a long mode name's "<mode>/challenge").
var errRootName = errors.New("board or period longer than 31 bytes: no submit_root can carry it")

// ChainBoard is the name a board period's root goes on chain under: the
// key's series, "daily" for classic (the names roots had before modes had
// boards), "<mode>/daily" for another mode, "challenge" or
// "<mode>/challenge" for a challenge's board (whose period is the
// challenge id).
func ChainBoard(key persistence.BoardKey) string {
	return standings.Key{Mode: key.Mode, Board: standings.Board(key.Board), Period: key.Period}.Series()
}

// chainRoot is root as submit_root(board, period, root) carries it.
func chainRoot(root persistence.PeriodRoot) *relay.Root {
	return &relay.Root{Board: ChainBoard(root.Key()), Period: root.Period, Root: root.Root}
}

// fitsChain reports whether r's board and period fit short strings.
func fitsChain(r relay.Root) bool {
	return len(r.Board) <= maxChainName && len(r.Period) <= maxChainName
}
