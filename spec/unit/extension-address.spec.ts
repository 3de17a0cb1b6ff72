import { parseEventAddress } from '../../extension/src/event-address';
import { imageName } from '../../extension/src/read-image';

describe('the browser extension’s event address', () => {
  const origin = (input: string) => {
    const parsed = parseEventAddress(input);
    return parsed.ok ? parsed.value.origin : `refused: ${parsed.message}`;
  };

  it('keeps scheme, host and port only, whatever link the guest pastes', () => {
    expect(origin('https://party.example.com')).toBe('https://party.example.com');
    expect(origin('  https://Party.Example.com/upload?j=abc#top ')).toBe('https://party.example.com');
    expect(origin('http://192.168.1.20:3000/')).toBe('http://192.168.1.20:3000');
    expect(origin('https://party.example.com:443')).toBe('https://party.example.com');
  });

  it('adds https to a bare public name and http to a bare address on the local network', () => {
    expect(origin('party.example.com')).toBe('https://party.example.com');
    expect(origin('192.168.1.20:3000')).toBe('http://192.168.1.20:3000');
    expect(origin('10.0.0.5')).toBe('http://10.0.0.5');
    expect(origin('localhost:3000')).toBe('http://localhost:3000');
    expect(origin('wedding-laptop.local:3000/upload')).toBe('http://wedding-laptop.local:3000');
    expect(origin('172.20.1.2')).toBe('http://172.20.1.2');
    expect(origin('172.40.1.2')).toBe('https://172.40.1.2');
  });

  it('asks for one host, on every port (match patterns name no port)', () => {
    const parsed = parseEventAddress('http://192.168.1.20:3000');
    expect(parsed.ok && parsed.value.pattern).toBe('http://192.168.1.20/*');
    const named = parseEventAddress('https://party.example.com/x');
    expect(named.ok && named.value.pattern).toBe('https://party.example.com/*');
  });

  it('refuses what is no web address of a wall, saying what to type', () => {
    for (const input of ['', '   ', 'ftp://party.example.com', 'javascript:alert(1)', 'file:///etc/passwd', 'http://', 'party example.com', 'https://ana:secret@party.example.com']) {
      const parsed = parseEventAddress(input);
      expect(parsed.ok).withContext(input).toBeFalse();
      if (!parsed.ok) expect(parsed.message.length).withContext(input).toBeGreaterThan(10);
    }
  });
});

describe('the browser extension’s file name for a sent image', () => {
  it('takes the URL’s last segment, adding the sniffed type’s extension when it has none', () => {
    expect(imageName('https://example.com/photos/cake.jpg?size=large', 'jpeg')).toBe('cake.jpg');
    expect(imageName('https://example.com/photos/cake', 'png')).toBe('cake.png');
    expect(imageName('https://example.com/', 'webp')).toBe('image.webp');
    expect(imageName('https://example.com/first%20dance.gif', 'gif')).toBe('first dance.gif');
    expect(imageName('https://example.com/bad%E0%A4%A', 'jpeg')).toBe('image.jpg');
    expect(imageName('data:image/png;base64,iVBORw0KGgo=', 'png')).toBe('image.png');
    expect(imageName('blob:https://example.com/1b2c', 'jpeg')).toBe('image.jpg');
  });
});
