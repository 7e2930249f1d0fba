package cluster

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// resumeAnswerWithin bounds the answer to a game:resume sent while the
// session's member hands its games off and stops (SHUTDOWN_TIMEOUT 15 s).
const resumeAnswerWithin = 20 * time.Second

// resumeVictims is how many games have both their socket and their session
// on the member that stops (about a third of resumes raced the hand-off).
const resumeVictims = 3

// TestCluster_ResumeAfterSIGTERMIsAnswered: players whose sockets are on a
// member that gets SIGTERM reconnect to another member at once and send
// game:resume once, without retrying, while the member freezes its games,
// leaves the cluster and stops them. Every resume is answered with an ack
// (its own request id), and every game then plays to game:over.
func TestCluster_ResumeAfterSIGTERMIsAnswered(t *testing.T) {
	if testing.Short() {
		t.Skip("stops a member during 20 s games")
	}
	t.Parallel()
	g := startAutomanaged(t, 3)
	// The member that stops hosts the sockets and the sessions of at least
	// resumeVictims games: each resume races the hand-off.
	var games []*hostedGame
	var victim *member
	local := 0
	for i := 0; i < 16 && local < resumeVictims; i++ {
		from := g.members[i%len(g.members)]
		if victim != nil {
			from = victim
		}
		h := startHosted(t, g, from, fmt.Sprintf("cluster-sigterm-resume-%02d", i), modeLong)
		games = append(games, h)
		if h.from == h.host && (victim == nil || h.host == victim) {
			victim = h.host
			local++
		}
	}
	require.NotNil(t, victim, "a game played on the member hosting it")
	for _, h := range games {
		waitWarm(t, h)
	}

	stopped := make(chan error, 1)
	go func() { stopped <- victim.stop() }()
	outcomes := make(chan error, len(games))
	for _, h := range games {
		if h.from != victim {
			go func() { outcomes <- <-h.done }() // its player actor follows the session
			continue
		}
		go func() { outcomes <- resumeOnceAndPlay(g, h, victim) }()
	}
	for range games {
		require.NoError(t, <-outcomes)
	}
	require.NoError(t, <-stopped, "%s must shut down cleanly on SIGTERM", victim.name)
	for _, h := range games {
		requireSurvived(t, g, h, false)
	}
	requireUnflagged(t, games...)
}

// resumeOnceAndPlay waits for h's socket to close, reconnects to another
// member, sends one game:resume and requires its answer, then plays on.
func resumeOnceAndPlay(g *group, h *hostedGame, lost *member) error {
	if err := <-h.done; !isClosed(err) {
		return fmt.Errorf("game %s: the socket to %s should have closed: %w", h.game.sessionID, lost.name, err)
	}
	to := g.pick(lost, 0)
	s, err := dialSocket(to, h.player)
	if err != nil {
		return err
	}
	defer s.close()
	id, err := s.send("game:resume", map[string]string{"sessionId": h.game.sessionID})
	if err != nil {
		return err
	}
	sent := time.Now()
	f, err := s.await(resumeAnswerWithin, func(f wsclient.Frame) bool { return f.ID == id })
	if err != nil {
		return fmt.Errorf("game %s: game:resume on %s unanswered: %w; trail:\n%v", h.game.sessionID, to.name, err, h.game.trail)
	}
	if f.T != "ack" {
		return fmt.Errorf("game %s: game:resume on %s answered %s %s", h.game.sessionID, to.name, f.T, f.D)
	}
	h.game.note("resume answered on %s after %s", to.name, time.Since(sent).Round(time.Millisecond))
	return h.game.play(s, gameWithin)
}
