# Plots bench/sweep's CSV: durable tasks/s against agents and against batch
# size, side by side. Called as gnuplot -e "csv='…'; png='…'" sweep.gnuplot.
set datafile separator ","
set terminal pngcairo size 1100,450 font ",10"
set output png
set multiplot layout 1,2 title "Gleaner: durable end-to-end dispatch, server and load generator on one 2-core machine"
set logscale x 2
set grid
set ylabel "tasks completed and committed per second"
set yrange [0:*]
set key off
set xlabel "simulated agents (16 slots each)"
plot csv using (strcol(1) eq "agents" ? $2 : 1/0):4 every ::1 with linespoints pt 7 lw 2
set xlabel "batch size: slots per agent = tasks per report (64 agents)"
plot csv using (strcol(1) eq "batch" ? $3 : 1/0):4 every ::1 with linespoints pt 7 lw 2
unset multiplot
