export default class {
  who() {
    return 'anonymous class';
  }
}
