# Reference vectors of rating_test.go: run with openskill.py 6.2.0 importable
# (pip install openskill==6.2.0) and paste the output into the table.
from openskill.models import PlackettLuce
m = PlackettLuce()  # defaults: mu 25, sigma 25/3, beta 25/6, kappa 1e-4, tau 25/300
cases = [
  ("two players, first wins", [(25,25/3),(25,25/3)], [3,1]),
  ("two players, tie", [(25,25/3),(25,25/3)], [5,5]),
  ("two players, upset", [(32.5,2.1),(21.0,5.5)], [4,9]),
  ("four players, tie in the middle", [(25,25/3)]*4, [10,7,7,2]),
  ("four players, tie at the top, mixed priors", [(28.1,4.0),(25,25/3),(19.4,6.2),(30.0,1.5)], [12,12,3,8]),
  ("three players, all tied, mixed priors", [(20,3),(25,5),(30,7)], [0,0,0]),
  ("eight players, ties", [(25+i*1.5, 8.333-i*0.7) for i in range(8)], [5,9,9,1,0,14,5,5]),
  ("settled sigma near the floor", [(40,0.05),(10,0.05)], [1,2]),
]
for name, rs, scores in cases:
    teams = [[m.rating(mu=mu, sigma=s)] for mu, s in rs]
    out = m.rate(teams, scores=scores)
    ins = ", ".join("{%r, %r}" % (mu, s) for mu, s in rs)
    outs = ", ".join("{%r, %r}" % (t[0].mu, t[0].sigma) for t in out)
    sc = ", ".join(str(s) for s in scores)
    print('\t\t{"%s", []ms{%s}, []int64{%s}, []ms{%s}},' % (name, ins, sc, outs))
