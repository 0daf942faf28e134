import 'reflect-metadata';
import { runDepartmentProcess } from '../department-kernel/main';
import { tax } from './index';

runDepartmentProcess(tax).catch((error) => {
  console.error(error);
  process.exit(1);
});
