import 'reflect-metadata';
import { runDepartmentProcess } from '../department-kernel/main';
import { housing } from './index';

runDepartmentProcess(housing).catch((error) => {
  console.error(error);
  process.exit(1);
});
