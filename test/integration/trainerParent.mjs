// Stands in for the extension host in tests of a host that goes away: forks
// the real trainer bundle (argv[2]) the way TrainerProcess does, relays its
// messages and the trainer's pid to this process's own parent, and passes a
// 'train' request on. Killing this process leaves the trainer without a parent.
import { fork } from 'node:child_process';

const trainer = fork(process.argv[2], [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
process.send({ type: 'trainerPid', pid: trainer.pid });
trainer.on('message', (message) => process.send(message));
trainer.on('exit', (code, signal) => process.send({ type: 'trainerExit', code, signal }));
process.on('message', (message) => trainer.send(message));
