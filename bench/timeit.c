/*
 * timeit.c: run a command and print, on standard error, its wall time in
 * seconds, the peak resident set size of the largest process it ran in
 * KiB, and the CPU time (user + system) of all of them in seconds:
 *     timeit WALL KIB CPU
 * usage: timeit CMD [ARG...]   (stdin, stdout pass through; the exit
 * status is the command's)
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 2)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if ((pid = fork()) < 0) {
		perror("timeit: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	getrusage(RUSAGE_CHILDREN, &ru);
	fprintf(stderr, "timeit %.6f %ld %.6f\n", (b.tv_sec - a.tv_sec) +
	    (b.tv_nsec - a.tv_nsec) / 1e9, ru.ru_maxrss,
	    ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}
